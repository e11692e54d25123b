"""Native hook integrations of AI coding tools (Claude Code, Codex, Gemini CLI, Cursor)."""
