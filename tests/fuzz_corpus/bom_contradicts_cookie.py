# coding: latin-1
from multiprocessing import Pool
