"""Text comparison that alignment and the fidelity signal share (chrF from n-gram profiles)."""
