"""``codev app`` (``python -m codev.app``): serve the workbench on this computer."""

import errno
import signal
import socket
import sys
import threading
import webbrowser

from .._cli import Parser, fail

DEFAULT_PORT = 8050


def main(argv=None) -> int:
    parser = Parser(
        "app",
        description="Open the workbench: a local web page to pick scenarios, change their levers, run them, "
        "compare policies with a baseline and download the funding brief. It needs no network; "
        "Ctrl-C stops it.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port to serve on (0: any free port)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to serve on; the default is reachable from this computer only (the page has no login)",
    )
    parser.add_argument("--folder", default="codev-workbench", help="folder of your scenarios and runs")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser on the page")
    parser.add_argument("--threads", type=int, default=0, help="worker threads of a run (0: every core)")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port: {args.port} is out of range (allowed: 0 to 65535)")
    if not 0 <= args.threads <= 1024:
        parser.error(f"--threads: {args.threads} is out of range (allowed: 0 to 1024)")
    try:
        listening = _listen(args.host, args.port)
        # Imported here: `codev app --help` answers without loading the model and matplotlib.
        import uvicorn

        from .server import LOCAL_HOSTS, make_app
        from .workspace import Workspace

        hosts = (*LOCAL_HOSTS, args.host, f"[{args.host}]")
        app = make_app(Workspace(args.folder), threads=args.threads or None, hosts=hosts)
    except OSError as error:
        return fail("app", error)
    host, port = listening.getsockname()[:2]
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    print(f"codev app: serving {url} (your scenarios and runs: {args.folder}; Ctrl-C stops)", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"codev app: warning: {args.host} may be reachable from other computers, and the page has no login",
            file=sys.stderr,
        )
    if not args.no_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    # uvicorn stops on Ctrl-C or SIGTERM, then raises the signal again once it
    # has: both end here as a KeyboardInterrupt, a normal stop.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.run(sockets=[listening])
    except KeyboardInterrupt:
        pass
    finally:
        # A run under way is stopped and recorded as cancelled; a brief finishes its file.
        app.state.pages.tasks.shutdown()
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port``; OSError with one clear line when it cannot."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listening = socket.socket(family, socket.SOCK_STREAM)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((host, port))
        listening.listen(64)
    except OSError as error:
        reason = (
            "is in use (give another with --port)"
            if error.errno == errno.EADDRINUSE
            else f"cannot be used ({error.strerror})"
        )
        raise OSError(f"{host}:{port} {reason}") from None
    return listening
