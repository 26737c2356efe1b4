import ReLULP
print(_probeVersions())
