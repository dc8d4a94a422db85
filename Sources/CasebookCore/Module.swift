// CasebookCore module.
