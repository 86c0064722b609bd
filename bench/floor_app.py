"""The floor for the browser benchmarks: a bare Streamlit page with one Plotly chart and one button.

Each press of "Redraw" reruns the script and draws the chart with one more point.
"""

import plotly.graph_objects as go
import streamlit as st

if st.button("Redraw"):
    st.session_state["points"] = st.session_state.get("points", 10) + 1
points = st.session_state.get("points", 10)
st.plotly_chart(go.Figure(go.Scatter(y=[i * i for i in range(points)])), key="chart")
