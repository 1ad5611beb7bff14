"""The student release: assignment/ generated from solutions/ by nbgrader's preprocessors."""
