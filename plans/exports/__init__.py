"""The exporter layer: every file the portal offers for download, and the
admin's import of action items, with the file conventions kept in one place.

- ``files``: the conventions (CSV, XLSX and JSON; formulas made inert and
  restored; column widths, number cells, åäö-safe names) and the bounded
  reading of an imported file;
- ``actions``: action items for the action browser and the open data;
- ``resources``: the back office's action-item format (django-import-export);
- ``funding``: a plan's co-funding ledger;
- ``indicators``: an indicator's series.

Views and the admin call it; it reads models and services and builds the
HTTP response of a download. Services never import it.
"""
