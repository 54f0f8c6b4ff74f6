# Interrupt and resume through the CLI (docs/PROTOCOL.md §12.9): a 3-step run
# with 2-step segments stops after step 1 (mid-segment, nothing closed yet),
# refuses to resume under another learning rate without touching its
# checkpoint, resumes to close the first segment and stop (the file then
# proves steps [0, 2)), and resumes again to the end; zkpot-verify accepts
# both files and names the steps each covers.
if(NOT EXISTS /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz)
  message(FATAL_ERROR "dataset-fashion-mnist is not installed")
endif()
file(REMOVE_RECURSE ${WORK})
set(args train --model 784-16-10 --batch 8 --steps 3 --segment-steps 2 --rows 256 --test-params --out ${WORK})

execute_process(COMMAND ${PROVE} ${args} --stop-after 1 RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "zkpot-prove --stop-after 1 failed (${rc})")
endif()
if(EXISTS ${WORK}/proof.zkp OR NOT EXISTS ${WORK}/private/checkpoint)
  message(FATAL_ERROR "after step 1 of a 2-step segment: want a checkpoint and no proof file yet")
endif()
file(COPY_FILE ${WORK}/private/checkpoint ${WORK}/checkpoint.before)

execute_process(COMMAND ${PROVE} ${args} --resume --lr 0.05 RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "--lr")
  message(FATAL_ERROR "a resume under another learning rate was not refused with a reason (${rc}): ${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/private/checkpoint ${WORK}/checkpoint.before
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR EXISTS ${WORK}/proof.zkp)
  message(FATAL_ERROR "the refused resume changed the run directory")
endif()

execute_process(COMMAND ${PROVE} ${args} --resume --stop-after 2 RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "zkpot-prove --resume --stop-after 2 failed (${rc})")
endif()
execute_process(COMMAND ${VERIFY} ${WORK}/proof.zkp RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\\[0, 2\\) in 1 segment" OR NOT out MATCHES "VALID")
  message(FATAL_ERROR "the proof of steps [0, 2) after one resume did not verify (${rc}): ${out}")
endif()

execute_process(COMMAND ${PROVE} ${args} --resume RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "zkpot-prove --resume to the end failed (${rc})")
endif()
execute_process(COMMAND ${VERIFY} ${WORK}/proof.zkp RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\\[0, 3\\) in 2 segment" OR NOT out MATCHES "VALID")
  message(FATAL_ERROR "the resumed proof of steps [0, 3) did not verify (${rc}): ${out}")
endif()
