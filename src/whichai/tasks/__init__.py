"""Tasks: the user's work as cases (input, expected answer, how to score)."""
