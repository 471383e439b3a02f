# fix: PCP219, PCP221, PCP222
# target: 3.1
# unsafe: below 3.2 (3.3) failures do not reach the error callback
# expect: False False False
from multiprocessing import Pool


def fail(*args):
    raise ValueError(args)


if __name__ == "__main__":
    pool = Pool(1)
    errors = []
    try:
        one = pool.apply_async(fail, (1,), error_callback=errors.append)
        many = pool.map_async(fail, [2], error_callback=errors.append)
        if hasattr(pool, "starmap_async"):
            pairs = pool.starmap_async(fail, [(3, 4)], error_callback=errors.append)
        else:
            pairs = pool.map_async(fail, [(3, 4)])
        for result in (one, many, pairs):
            result.wait(30)
        print(*(result.successful() for result in (one, many, pairs)))
    finally:
        pool.terminate()
