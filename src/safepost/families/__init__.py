"""Built-in rule families, each registered as a plugin through the same hooks as third parties."""
