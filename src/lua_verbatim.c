/* lua_verbatim.c: the Lua binding (grows with the plugin). Builds against
 * LuaJIT / Lua 5.1 and Lua 5.4 headers; links no liblua. */
#include <lauxlib.h>
#include <lua.h>

#include "verbatim.h"

static int l_version(lua_State *L) {
  lua_pushstring(L, vb_version());
  return 1;
}

__attribute__((visibility("default"))) int luaopen_verbatim_core(lua_State *L) {
  lua_newtable(L);
  lua_pushcfunction(L, l_version);
  lua_setfield(L, -2, "version");
  return 1;
}
