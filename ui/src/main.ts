// The page's entry: defining <cc-app> (and through it every element) is all it takes.
import "./app-shell.js";
