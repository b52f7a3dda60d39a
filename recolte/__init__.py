"""Récolte: capitalisation of experience and change-oriented monitoring."""
