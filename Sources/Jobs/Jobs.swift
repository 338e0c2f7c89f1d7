// Jobs module.
