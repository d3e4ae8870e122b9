# `cmake --install` puts the module where the interpreter finds it under the prefix: install into
# WORK_DIR/prefix, then import it from there (and from nowhere else) and run a model.
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
                OUTPUT_QUIET RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "install failed: ${rc}")
endif()
set(site ${WORK_DIR}/prefix/${PYTHON_INSTALL_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} -E env PYTHONPATH=${site} ${PYTHON} -c
  "import leasecalc, sys; assert leasecalc.__file__.startswith(sys.argv[1]), leasecalc.__file__; print(leasecalc.load(sys.argv[2]).run()['returns']['project_npv'])"
  ${site} ${MODEL}
  WORKING_DIRECTORY ${WORK_DIR}  # not the build tree's python/, which holds the module too
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "the installed module failed: ${rc} ${out} ${err}")
endif()
message(STATUS "installed module in ${site}: project NPV ${out}")
