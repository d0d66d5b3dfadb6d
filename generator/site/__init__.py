"""Stage 4-5, the site: one projection of a Task (projection), the pages (render, listing, paging, permalinks, presentation, charts), the data files (index, datapackage), search and feeds."""
