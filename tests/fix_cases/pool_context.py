# fix: PCP205
# target: 3.8
# expect: [1, 4, 9]
import multiprocessing


def square(x):
    return x * x


if __name__ == "__main__":
    context = multiprocessing.get_context("spawn")
    pool = multiprocessing.Pool(1, context=context)
    try:
        print(pool.map(square, [1, 2, 3]))
    finally:
        pool.terminate()
