"""The shared kernel: what every Patron service needs and no service owns."""
