"""Satisfaction-loyalty studies: questionnaire -> data -> measurement -> model -> report."""

__version__ = "0.1.0"
