# Layers point one way: a header or source of a lower layer includes nothing of a higher one.
# From the bottom: text, num, time, fin, deal, engine, solve, io, report, service (the pricing
# service, over all of them). io loads into the deal
# vocabulary and never reaches into solve or engine; deal describes and computes nothing above it.
set(forbidden_by_layer
  "text:num|time|fin|deal|engine|solve|io|report|service"
  "num:time|fin|deal|engine|solve|io|report|service"
  "time:fin|deal|engine|solve|io|report|service"
  "fin:deal|engine|solve|io|report|service"
  "deal:engine|solve|io|report|service"
  "engine:solve|io|report|service"
  "solve:io|report|service"
  "io:engine|solve|report|service"
  "report:service")
set(breaches "")
foreach(rule ${forbidden_by_layer})
  string(REPLACE ":" ";" parts "${rule}")
  list(GET parts 0 layer)
  list(GET parts 1 above)
  file(GLOB_RECURSE files ${SOURCE_DIR}/libleasecalc/include/leasecalc/${layer}/*
                          ${SOURCE_DIR}/libleasecalc/src/${layer}/*)
  foreach(file ${files})
    file(STRINGS ${file} includes REGEX "^#include [\"<]leasecalc/(${above})/")
    foreach(line ${includes})
      list(APPEND breaches "${file}: ${line}")
    endforeach()
  endforeach()
endforeach()
if(breaches)
  string(REPLACE ";" "\n" text "${breaches}")
  message(FATAL_ERROR "includes that point up the layers:\n${text}")
endif()
