// CasebookTestSupport module.
