"""Network building blocks: MLP encoders and heads built from config."""
