# Writes the profiles (checks/profiles/*.yaml) into a C++ include as raw string literals, so the
# built binaries carry them: cmake -DOUT=<file.inc> -DPROFILES="a.yaml|b.yaml" -P embed.cmake
set(content "// Generated from checks/profiles/*.yaml by checks/profiles/embed.cmake; do not edit.\n")
string(REPLACE "|" ";" PROFILES "${PROFILES}")
foreach(profile ${PROFILES})
  get_filename_component(name ${profile} NAME)
  file(READ ${profile} text)
  if(text MATCHES "\\)aorm_profile\"")
    message(FATAL_ERROR "${profile}: contains the delimiter )aorm_profile\"")
  endif()
  string(APPEND content "{\"checks/profiles/${name}\", R\"aorm_profile(${text})aorm_profile\"},\n")
endforeach()
# Rewritten only when it changes, so an unchanged profile rebuilds nothing.
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${content}")
  file(WRITE ${OUT} "${content}")
endif()
