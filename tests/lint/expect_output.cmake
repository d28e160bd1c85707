# Runs COMMAND (a ;-list) and passes when it exits with EXPECT_EXIT ("nonzero" or "zero") and its
# combined output matches EXPECT_REGEX. Used for the compile-fail and lint tests.
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
if(EXPECT_EXIT STREQUAL "nonzero" AND result EQUAL 0)
  message(FATAL_ERROR "expected a failure, but the command succeeded:\n${all}")
endif()
if(NOT all MATCHES "${EXPECT_REGEX}")
  message(FATAL_ERROR "output does not match '${EXPECT_REGEX}':\n${all}")
endif()
message(STATUS "as expected: ${CMAKE_MATCH_0}")
