# fix: PCP301, PCP302, PCP303, PCP304, PCP305
# target: 3.2
# expect: [1, 4]
# expect: [1]
# expect: 1
# expect: sent
# expect: hello
# expect: 1
import multiprocessing
import threading
from multiprocessing.connection import Client, Listener
from multiprocessing.managers import SyncManager


def square(x):
    return x * x


def send(address):
    with Client(address) as connection:
        connection.send("hello")


if __name__ == "__main__":
    with multiprocessing.Pool(1) as pool:
        print(pool.map(square, [1, 2]))
    with multiprocessing.Manager() as manager:
        print(list(manager.list([1])))
    with SyncManager() as other:  # a manager class: started on the way in
        print(other.dict(a=1)["a"])
    reader, writer = multiprocessing.Pipe()
    with writer:
        writer.send("sent")
    print(reader.recv())
    with Listener(("localhost", 0)) as listener:
        client = threading.Thread(target=send, args=(listener.address,))
        client.start()
        print(listener.accept().recv())
        client.join(30)
    counter = multiprocessing.Value("i", 0)
    with counter:
        counter.value += 1
    print(counter.value)
