"""One reader per file format, each reducing its format to blocks."""
