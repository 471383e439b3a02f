# fix: PCP102, PCP103
# target: 3.2
# expect: [8, 9]
# expect: [(3, 1), (2, 1)]
from multiprocessing import Pool


def power(base, exponent):
    return base ** exponent


def main():
    pool = Pool(1)
    try:
        print(pool.starmap(power, [(2, 3), (3, 2)]))
        pending = pool.starmap_async(divmod, [(7, 2), (9, 4)])
        print(pending.get(timeout=30))
    finally:
        pool.terminate()


if __name__ == "__main__":
    main()
