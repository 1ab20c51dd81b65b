"""The coordinator's view: figures, a chart, paged lists and the school report."""
