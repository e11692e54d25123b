"""Transform: anonymize findings' spans with placeholders kept in an encrypted vault,
and restore them, also across streamed chunks."""
