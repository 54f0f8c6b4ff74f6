# Trains 784-16-10 for two steps with proofs (two segments), verifies the
# proof file, then flips one byte and requires zkpot-verify to reject it.
if(NOT EXISTS /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz)
  message(FATAL_ERROR "dataset-fashion-mnist is not installed")
endif()
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${PROVE} train --model 784-16-10 --batch 8 --steps 2 --segment-steps 1 --rows 256
                        --test-params --out ${WORK} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "zkpot-prove train failed (${rc})")
endif()
execute_process(COMMAND ${VERIFY} --json ${WORK}/proof.zkp RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message(STATUS "${out}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "\"valid\":true")
  message(FATAL_ERROR "zkpot-verify rejected an honest proof (${rc})")
endif()
# Overwrite the middle byte with a different value (coreutils only).
execute_process(COMMAND sh -c "cp '${WORK}/proof.zkp' '${WORK}/bad.zkp' && n=$(( $(stat -c %s '${WORK}/bad.zkp') / 2 )) && b=$(od -An -tu1 -j $n -N1 '${WORK}/bad.zkp' | tr -d ' ') && printf \"\\\\$(printf %03o $(( (b + 1) % 256 )))\" | dd of='${WORK}/bad.zkp' bs=1 seek=$n conv=notrunc status=none && ! cmp -s '${WORK}/proof.zkp' '${WORK}/bad.zkp'"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "could not make the tampered copy")
endif()
execute_process(COMMAND ${VERIFY} ${WORK}/bad.zkp RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "zkpot-verify did not reject a tampered proof (exit ${rc})")
endif()
