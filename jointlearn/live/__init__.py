"""The live protocol's shared parts: group names, broadcasting and the project socket."""
