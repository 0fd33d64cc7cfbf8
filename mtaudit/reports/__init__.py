"""Reports: render an audit (the JSON run object of docs/json-schema.md) for people and tools."""
