"""Static-site generator for Viet Nam's provincial administrative-reform plans.

The pipeline, one module per stage:

    load      read YAML files into plain data, remembering the line of every value
    validate  check the plain data against the schema and across files; collect Problems
    resolve   turn validated data into the domain model (Plan, Task, Agency, Criterion, Deadline)
    render    write the Markdown pages MkDocs builds, from Jinja templates
    index     write the open-data files and the search indexes
    publish   run MkDocs into a temporary directory and swap it into place
"""
