/*
 * perfguard's bridge to Valgrind's client requests, for the `instructions` measuring mode.
 *
 * Each export wraps one request from valgrind/callgrind.h or valgrind/valgrind.h. Outside
 * Valgrind a client request is a few no-op instructions, so every export is safe to call
 * anywhere; isRunningOnValgrind() tells whether they do anything.
 *
 * Plain node_api.h (N-API version 1), so one build serves every Node of the same ABI.
 */
/* Valgrind's headers first: when the build fails, the likeliest cause is reported first. */
#include <valgrind/callgrind.h>
#include <valgrind/valgrind.h>
#include <node_api.h>

/* Longest dump name accepted, in bytes; callgrind copies it into the dump's header. */
#define MAX_NAME_BYTES 512

static napi_value undefined_value(napi_env env) {
  napi_value result;
  napi_get_undefined(env, &result);
  return result;
}

static napi_value is_running_on_valgrind(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_get_boolean(env, RUNNING_ON_VALGRIND > 0, &result);
  return result;
}

/* One export per argument-less request: runs it and returns undefined. */
#define REQUEST_EXPORT(c_name, request)                                   \
  static napi_value c_name(napi_env env, napi_callback_info info) {      \
    (void)info;                                                           \
    request;                                                              \
    return undefined_value(env);                                          \
  }

REQUEST_EXPORT(zero_stats, CALLGRIND_ZERO_STATS)
REQUEST_EXPORT(start_instrumentation, CALLGRIND_START_INSTRUMENTATION)
REQUEST_EXPORT(stop_instrumentation, CALLGRIND_STOP_INSTRUMENTATION)
REQUEST_EXPORT(toggle_collect, CALLGRIND_TOGGLE_COLLECT)

static napi_value dump_stats_at(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char name[MAX_NAME_BYTES + 1];
  size_t length = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_string_utf8(env, argv[0], name, sizeof name, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "dumpStatsAt(name) needs the dump's name as a string");
    return NULL;
  }
  CALLGRIND_DUMP_STATS_AT(name);
  return undefined_value(env);
}

static int export_function(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  if (napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn) != napi_ok) return 0;
  return napi_set_named_property(env, exports, name, fn) == napi_ok;
}

static napi_value init(napi_env env, napi_value exports) {
  if (!export_function(env, exports, "isRunningOnValgrind", is_running_on_valgrind) ||
      !export_function(env, exports, "zeroStats", zero_stats) ||
      !export_function(env, exports, "startInstrumentation", start_instrumentation) ||
      !export_function(env, exports, "stopInstrumentation", stop_instrumentation) ||
      !export_function(env, exports, "toggleCollect", toggle_collect) ||
      !export_function(env, exports, "dumpStatsAt", dump_stats_at)) {
    napi_throw_error(env, NULL, "perfguard callgrind addon: could not create its exports");
    return NULL;
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
