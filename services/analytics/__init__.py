"""The analytics service (see SPEC §4); its domains arrive with their issues."""
