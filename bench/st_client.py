"""A Streamlit session without a browser: the app's websocket protocol, spoken from Python.

The load test (bench/bench_browser.py) needs twenty users on the server at once, but this machine
has two cores and one headless Chromium page load costs about 3 s of CPU: twenty browsers on one
core never finish loading, and then the test measures the browsers, not the server. This client
does what a browser tab does on the wire, and nothing a browser does locally: it opens the session,
asks for the page's first run, and changes a widget by sending the new widget states, the same
``BackMsg`` the frontend sends. Each interaction is timed from sending it to the server's
``script_finished`` message, so the time is what the server makes the user wait; drawing is the
browser's own work, on the user's own machine, and does not grow with the number of users.

Only what the load test needs: multiselects (by label) and buttons (by label). Messages are
Streamlit's own protobuf classes, so a protocol change in a Streamlit upgrade fails loudly here.
"""

from __future__ import annotations

import asyncio
import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


class ScriptError(RuntimeError):
    """The app showed an exception (an ``st.exception`` element) during a run."""


class Session:
    """One user's session on a running Streamlit server (``await Session.open(url)``)."""

    def __init__(self, ws) -> None:
        self._ws = ws
        self.page_script_hash = ""
        # label -> widget id. A widget's id can change between runs (Streamlit derives it from the
        # widget's parameters), so widgets are found by label and the latest id is used.
        self.widgets: dict[str, str] = {}
        self.selected: dict[str, list[str]] = {}  # multiselect label -> its options now selected
        self.exceptions: list[str] = []

    @classmethod
    async def open(cls, url: str, timeout: float = 60.0, cookie: str | None = None) -> Session:
        """Connect to ``url`` (http://host:port) and wait for the first run to finish.

        ``cookie`` is sent with the websocket handshake, as a browser sends its cookies: behind
        ``make serve``'s balancer, ``JCM_WORKER=w2`` opens the session on worker w2.
        """
        ws = await websockets.connect(
            url.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=timeout,
            additional_headers={"Cookie": cookie} if cookie else None,
        )
        session = cls(ws)
        await session._run(timeout)
        return session

    async def close(self) -> None:
        """Close the websocket (the server ends the session)."""
        await self._ws.close()

    def _states(self, trigger: str | None = None):
        msg = BackMsg()
        client = msg.rerun_script
        client.page_script_hash = self.page_script_hash
        for label, values in self.selected.items():
            state = client.widget_states.widgets.add()
            state.id = self.widgets[label]
            state.string_array_value.data.extend(values)
        if trigger is not None:
            state = client.widget_states.widgets.add()
            state.id = trigger
            state.trigger_value = True
        return msg

    async def _run(self, timeout: float, trigger: str | None = None) -> float:
        """Send a rerun with the current widget states; wait for its script_finished. Seconds taken."""
        start = time.perf_counter()
        await self._ws.send(self._states(trigger).SerializeToString())
        self.exceptions = []
        async with asyncio.timeout(timeout):
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(await self._ws.recv())
                kind = msg.WhichOneof("type")
                if kind == "new_session":
                    self.page_script_hash = msg.new_session.page_script_hash
                elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    self._element(msg.delta.new_element)
                elif kind == "script_finished":
                    # 0 = finished successfully; a rerun request that replaces this run finishes
                    # it early and is followed by the run we asked for, so keep reading then.
                    if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                        break
                    if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        raise ScriptError(f"the script run ended with status {msg.script_finished}")
        if self.exceptions:
            raise ScriptError("; ".join(self.exceptions))
        return time.perf_counter() - start

    def _element(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "multiselect":
            widget = element.multiselect
            self.widgets[widget.label] = widget.id
            if widget.set_value or widget.label not in self.selected:
                # The script set the value (as the app's reset and restore do): the browser shows it.
                self.selected[widget.label] = list(widget.raw_values)
        elif kind == "button":
            self.widgets[element.button.label] = element.button.id
        elif kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}")

    async def select(self, label: str, options: list[str], timeout: float = 60.0) -> float:
        """Set the multiselect ``label`` to ``options`` (shown labels); seconds to the finished rerun."""
        self.selected[label] = list(options)
        return await self._run(timeout)

    async def click(self, label: str, timeout: float = 60.0) -> float:
        """Press the button ``label``; seconds to the finished rerun."""
        return await self._run(timeout, trigger=self.widgets[label])
