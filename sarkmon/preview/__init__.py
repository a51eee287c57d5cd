"""Previews for review: static HTML pages of the dashboards, drawn from the generated JSON."""
