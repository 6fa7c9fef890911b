"""Turns files into chunks in the store (imports rag, never ui)."""
