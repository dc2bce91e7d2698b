"""A real Virtuoso 7 server (Debian's ``virtuoso-opensource-7-bin``) for the tests.

Virtuoso is the suite's second SPARQL engine beside Oxigraph: what aims-graph promises of
"any SPARQL 1.1 + Graph Store Protocol engine" is proven on both.  Each server gets its own
folder, its own ini file and two free loopback ports (SQL and HTTP); the anonymous
``SPARQL`` account is given the update rights a remote store needs.  A missing binary is
an error, never a skip: ``make test`` installs the package (see the Makefile).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from aims_graph.serving.ports import free_port, stop_process, wait_until_up
from tests.engine_reset import drop_written_graphs

BINARY = "virtuoso-t"
SYSTEM_GRAPH_PREFIXES = ("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp", "http://localuriqaserver/",
                         "http://localhost:")
"""Graphs Virtuoso creates for itself (its RDF views, LDP, the endpoint's service description)."""
ISQL = "isql-vt"
_GRANTS = (
    'GRANT SPARQL_UPDATE TO "SPARQL";',
    'GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL";',
    'GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL";',
    'GRANT EXECUTE ON DB.DBA.L_O_LOOK TO "SPARQL";',
    'GRANT EXECUTE ON DB.DBA.SPARUL_RUN TO "SPARQL";',
    'GRANT EXECUTE ON DB.DBA.SPARQL_CLEAR_GRAPH TO "SPARQL";',
    'GRANT EXECUTE ON DB.DBA.SPARUL_CLEAR TO "SPARQL";',
    'GRANT EXECUTE ON DB.DBA.SPARUL_DROP TO "SPARQL";',
    'GRANT EXECUTE ON DB.DBA.SPARUL_CREATE TO "SPARQL";',
    'GRANT EXECUTE ON DB.DBA.SPARUL_LOAD TO "SPARQL";',
    'GRANT EXECUTE ON DB.DBA.TTLP TO "SPARQL";',
)

_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 16
CheckpointInterval = 60
NumberOfBuffers = 40000
MaxDirtyBuffers = 30000
DirsAllowed = {d}
Charset = UTF-8

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 16
ServerThreads = 16
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 120
"""


class VirtuosoServer:
    """Virtuoso 7 with its SPARQL endpoint at ``url + "/sparql"``."""

    def __init__(self, location: Path) -> None:
        executable = shutil.which(BINARY)
        if executable is None:
            raise RuntimeError(f"{BINARY} is missing: `make test` installs Debian's virtuoso-opensource-7-bin "
                               "(or: apt-get install virtuoso-opensource-7-bin)")
        location.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        ini = location / "virtuoso.ini"
        ini.write_text(_INI.format(d=location, sql=self.sql_port, http=self.port))
        self.log = location / "virtuoso.log"
        self.process = subprocess.Popen([executable, "-c", str(ini), "-f"], cwd=location,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until_up(self.url + "/sparql?query=ASK%7B%7D", self.process, seconds=60, log=self.log)
        self.sql(*_GRANTS)

    def sql(self, *statements: str) -> None:
        """Run SQL statements as the database administrator (isql)."""
        for statement in statements:
            done = subprocess.run([shutil.which(ISQL) or ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba",
                                   f"exec={statement}"], capture_output=True, text=True, timeout=60)
            if done.returncode != 0 or "Error" in done.stdout:
                raise RuntimeError(f"virtuoso refused {statement!r}: {done.stdout.strip()} {done.stderr.strip()}")

    def clear(self) -> None:
        """Drop every graph the tests wrote; Virtuoso's own system graphs and the reference
        graphs stay (``tests/engine_reset.py`` says why)."""
        drop_written_graphs(self.url + "/sparql", self.url + "/sparql", keep_prefixes=SYSTEM_GRAPH_PREFIXES)

    def stop(self) -> None:
        stop_process(self.process)
