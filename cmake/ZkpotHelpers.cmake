# A library made of every source file in a folder: STATIC when the folder has
# sources, INTERFACE (headers only) while it has none.
function(zkpot_folder_library name folder)
  file(GLOB _srcs CONFIGURE_DEPENDS ${folder}/*.cc)
  if(_srcs)
    add_library(${name} STATIC ${_srcs})
    set(${name}_KIND PUBLIC PARENT_SCOPE)
  else()
    add_library(${name} INTERFACE)
    set(${name}_KIND INTERFACE PARENT_SCOPE)
  endif()
endfunction()
