"""Domain-adaptation losses (each file: the paper's equation and shapes)."""
