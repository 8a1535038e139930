{
  "targets": [
    {
      "target_name": "perfguard_callgrind",
      "sources": ["callgrind.c"],
      "defines": ["NAPI_VERSION=1"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
