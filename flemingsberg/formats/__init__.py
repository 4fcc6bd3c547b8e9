"""Date and number formats that differ from Django's for a language
(FORMAT_MODULE_PATH): one English date format, "7 December 2026", as in the
PDFs, instead of Django's American "Dec. 7, 2026"."""
