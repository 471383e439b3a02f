from multiprocessing import Pool
try:
    pass
except OSError, e:
    pass
