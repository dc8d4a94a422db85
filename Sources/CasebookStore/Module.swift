// CasebookStore module.
