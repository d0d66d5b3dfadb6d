"""The domain: Plan, Task, Agency, Criterion, Deadline (domain.py) and deadline parsing (deadline.py). It imports nothing above the package root."""
