// CasebookFormat module.
