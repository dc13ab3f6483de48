"""The loyalty service (see SPEC §3); its domains arrive with their issues."""
