/** The icons the app uses (lucide, bundled; tree-shaken to these). */
export {
  ChartColumn as BarChart3,
  Boxes,
  Ellipsis,
  KeyRound,
  Languages,
  LogOut,
  MessageSquarePlus,
  Moon,
  PanelLeftClose,
  Pencil,
  Search,
  ShieldCheck,
  Sun,
  Trash,
  X,
} from "lucide-react";
