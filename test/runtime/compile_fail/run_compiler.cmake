# Runs COMPILER on SOURCE with -DAORM_CASE=CASE and checks the outcome:
# EXPECT=fail needs a non-zero exit and MESSAGE in the diagnostics; EXPECT=pass needs success.
foreach(var COMPILER SOURCE INCLUDE CASE EXPECT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_compiler.cmake: -D${var}=... is required")
  endif()
endforeach()
execute_process(
  COMMAND ${COMPILER} -std=c++20 -fsyntax-only -I${INCLUDE} -DAORM_CASE=${CASE} ${SOURCE}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
if(EXPECT STREQUAL "pass")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "expected ${SOURCE} (AORM_CASE=${CASE}) to compile with ${COMPILER}:\n${err}")
  endif()
  message(STATUS "compiled as expected")
else()
  if(rc EQUAL 0)
    message(FATAL_ERROR "expected ${SOURCE} (AORM_CASE=${CASE}) to fail with ${COMPILER}, it compiled")
  endif()
  string(FIND "${err}${out}" "${MESSAGE}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the diagnostics of ${COMPILER} lack \"${MESSAGE}\":\n${err}")
  endif()
  message(STATUS "failed with the expected message")
endif()
