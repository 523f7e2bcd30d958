"""Readers of files researchers bring: Telegram Desktop exports, video metadata."""
