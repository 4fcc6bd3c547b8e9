// The "Select all" box of django-import-export's export page. Upstream wires it
// with an inline onchange attribute, which the site's Content-Security-Policy
// blocks; templates/admin/import_export/export.html loads this file instead.
// onSelectToggleChange comes from import_export/export_selectable_fields.js.
document.addEventListener("change", (event) => {
  if (event.target.matches("input.select-toggle")) {
    onSelectToggleChange(event);
  }
});
