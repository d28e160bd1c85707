# Runs qmllint on the console's QML files against the modules as built: the build folders of
# Waferscope.Console and Waferscope.ViewModels are linked into an import folder under their URIs.
# Any warning fails. Variables: QMLLINT, IMPORT_DIR, CONSOLE_DIR, VIEWMODELS_DIR, SOURCE_DIR.
file(REMOVE_RECURSE ${IMPORT_DIR})
file(MAKE_DIRECTORY ${IMPORT_DIR}/Waferscope)
file(CREATE_LINK ${CONSOLE_DIR} ${IMPORT_DIR}/Waferscope/Console SYMBOLIC)
file(CREATE_LINK ${VIEWMODELS_DIR} ${IMPORT_DIR}/Waferscope/ViewModels SYMBOLIC)
file(GLOB_RECURSE _files ${SOURCE_DIR}/resources/qml/*.qml)
execute_process(COMMAND ${QMLLINT} -I ${IMPORT_DIR} ${_files}
  RESULT_VARIABLE _result OUTPUT_VARIABLE _output ERROR_VARIABLE _output)
list(LENGTH _files _count)
if(NOT _result EQUAL 0)
  message(FATAL_ERROR "qmllint found problems in the console's QML (${_count} files):\n${_output}")
endif()
message(STATUS "qmllint: ${_count} files, no warning")
