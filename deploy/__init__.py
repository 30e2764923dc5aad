"""Running the course for a whole class: N app processes behind nginx with sticky sessions."""
