"""Static-site generator for Viet Nam's provincial administrative-reform plans.

The pipeline, one folder a stage, each importing only from the ones above it in this list (and from the bottom
modules of this package: config, files, problems, folding, anchors):

    model/    the domain: Plan, Task, Agency, Criterion, Deadline (domain.py), deadlines parsed (deadline.py)
    content/  load YAML remembering the line of every value, validate it (schema, registry, coverage),
              resolve it into the model (citations, criteria_inference)
    site/     one projection of a Task; the Markdown pages MkDocs builds (render, listing, paging), the open
              data (index, datapackage), the finder and site search (search), feeds and charts
    publish/  run MkDocs into a new tree, check its links, swap it into place (release, linkcheck)
    extract/  beside the pipeline: draft a plan's YAML from its text
"""
